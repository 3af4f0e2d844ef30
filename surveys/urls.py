from surveys.views import answer, calls, staff

app_name = "surveys"

urlpatterns = answer.urlpatterns + calls.urlpatterns + staff.urlpatterns
